

encoding
json/plain{"a":[1,2.5,true,null,"x"]}