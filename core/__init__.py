"""The base layer every app uses: jobs, Markdown cleaning, French search, images, hooks."""
