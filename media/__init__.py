"""Media: what editors upload and readers download.

`store` keeps files on disk by content hash; `uploads` accepts images (re-encoded by Pillow)
and documents (judged by `inspection`, the one document policy, which reads PDFs through `pdf`;
`sniff` finds
markup hidden in pictures); `renditions` makes the web sizes; `markup` writes the
reader's <picture> tags and the data-saving links; `files` names and guards downloads; `check`
compares the folder with the database. Routes live with their audience: readers' in
`public.py`, the editor's upload in `admin/media.py`.
"""
