
;
	CppDouble.

encoding
json/plain

typeDouble1.25