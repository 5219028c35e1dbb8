
servertemporal-cppJ