
[
CppDatetimeL

typeDatetime

encoding
json/plain "2023-11-14T22:13:20.250000000Z"
@
CppText5

encoding
json/plain

typeText"hello world"
3
CppInt)

typeInt

encoding
json/plain-7
J
CppKeywordList8

typeKeywordList

encoding
json/plain	["a","b"]
;
	CppDouble.

encoding
json/plain

typeDouble1.25
?

CppKeyword1

encoding
json/plain

typeKeyword"gold"
7
CppBool,

encoding
json/plain

typeBooltrue