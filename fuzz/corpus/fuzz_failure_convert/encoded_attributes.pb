
Encoded failuretemporal-cpp"ง
Encoded failuretemporal-cpp*E
Inner<


encoding
json/plain"d"


encoding
json/plain1ข>

encoding
json/plain${"message":"inner","stack_trace":""}*
MyError"€สต๎(ขC

encoding
json/plain){"message":"outer","stack_trace":"stack"}