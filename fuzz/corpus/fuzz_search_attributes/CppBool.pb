
7
CppBool,

encoding
json/plain

typeBooltrue