# Minimal first Makefile; the course frame (issue 4) grows it.
.PHONY: deps test course
deps:
	@pkg-config --exists openblas || { apt-get update && apt-get install -y libopenblas-dev; }
test: deps
	swift test
course: deps
	swift build -c release
