
[
CppDatetimeL

typeDatetime

encoding
json/plain "2023-11-14T22:13:20.250000000Z"