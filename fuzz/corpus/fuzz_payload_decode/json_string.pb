

encoding
json/plain
"Temporal"