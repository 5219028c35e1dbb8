
J
CppKeywordList8

typeKeywordList

encoding
json/plain	["a","b"]