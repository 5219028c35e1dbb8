
outertemporal-cppstack"\
innertemporal-cpp*E
Inner<


encoding
json/plain"d"


encoding
json/plain1*
MyError"€Êµî(