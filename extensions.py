"""Extension singletons and signals, bound to the app in `create_app`; imports no app code."""

from blinker import Namespace
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect

from internals import LazyMigrate

csrf = CSRFProtect()
login_manager = LoginManager()


migrate = LazyMigrate()

signals = Namespace()
# Sent with the app after `flask import` wrote rows past the ORM, so derived data (the search
# index) is rebuilt; search.init_app subscribes.
data_imported = signals.signal("data-imported")
