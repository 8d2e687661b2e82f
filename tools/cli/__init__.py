"""The command lines of the tools: tools/cli/<tool>.py parses its flags and calls tools/<tool>.py."""
