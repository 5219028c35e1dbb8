

encoding
json/plain-2.5