
@
CppText5

encoding
json/plain

typeText"hello world"