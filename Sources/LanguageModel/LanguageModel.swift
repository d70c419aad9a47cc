// The LanguageModel layer of the course: see DESIGN notes in README.md.
