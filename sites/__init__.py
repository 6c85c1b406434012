"""Province hosting: one install serving many communes' sites, each chosen by its host name.

`registry` keeps the list of sites and their host names (in the province's database, apart from
any site's data); `config` turns a registry row into the settings of that site's own Flask app
(its database or PostgreSQL schema, media folder, backups, public address, secret key);
`dispatch` is the WSGI entry that picks the app for each request's host (and `hugepages` puts
the sites' objects on 2 MB pages once built); `notify` carries "something changed" between
servers through PostgreSQL. A single commune's install has no registry and never touches this
package's code paths.
"""
