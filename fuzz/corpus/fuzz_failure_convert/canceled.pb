
canceledtemporal-cpp:#
!


encoding
json/plain"why"