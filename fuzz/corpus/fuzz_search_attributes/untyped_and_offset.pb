
C
Offset9

typeDatetime%"2024-02-29T23:59:59.123456789+05:30"

Typed

typeInt[3]
*
Untyped

encoding
json/plain["x"]