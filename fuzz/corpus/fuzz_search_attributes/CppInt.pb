
3
CppInt)

typeInt

encoding
json/plain-7