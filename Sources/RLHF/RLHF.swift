// The RLHF layer of the course: see DESIGN notes in README.md.
