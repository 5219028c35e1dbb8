

encoding
json/plain42