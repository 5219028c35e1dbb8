
timeouttemporal-cpp2!


encoding
json/plain7