

encodingbinary/null