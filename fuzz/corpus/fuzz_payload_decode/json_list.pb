

encoding
json/plain	["a","b"]