
activity failed"
boom*
ErrorZ"
greet*10