
?

CppKeyword1

typeKeyword

encoding
json/plain"gold"