

encodingjson/protobuf
%
messageTypegoogle.protobuf.Struct	{"k":[1]}