"""URL rules that compile their URL builder once per rule shape, for every app in the process.

werkzeug compiles two builder functions per `Rule` (an AST, then `compile()`; werkzeug/routing/rules.py,
`Rule._compile_builder`), which was most of the time it took to build an app: `sim classroom` builds two apps
per seat with the same ~150 rules. The builder's code depends only on the rule's parsed parts, its defaults and
whether unknown arguments are appended; the rule itself is its first argument, bound per rule. So one function
per shape serves every app. `SimFlask` installs it with Flask's `url_rule_class`
(https://flask.palletsprojects.com/en/stable/api/#flask.Flask.url_rule_class), as a class attribute so that the
`/static` rule Flask adds in its constructor is one too.

Once one app of a kind is built, building another compiles no AST at all, which is what lets `sim classroom`
start seats in threads (CPython 3.11's AST conversion is not thread-safe); misses compile under one lock.
"""

import threading

from flask import Flask
from werkzeug.routing import Rule

# (rule text, parsed trace, defaults, converter types, append_unknown) -> the unbound builder werkzeug compiled.
# Bounded by the rules the code declares (a few hundred), never by input.
BUILDERS: dict[tuple, object] = {}
BUILDERS_LOCK = threading.Lock()


class SharedBuilderRule(Rule):
    """A werkzeug Rule whose builders are compiled once per shape and shared (see the module docstring)."""

    def _compile_builder(self, append_unknown: bool = True):
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items(), key=repr)),
               tuple(sorted((name, type(conv).__qualname__) for name, conv in self._converters.items())),
               append_unknown)
        builder = BUILDERS.get(key)
        if builder is None:
            with BUILDERS_LOCK:  # one compile per shape, however many threads build apps
                builder = BUILDERS.get(key)
                if builder is None:
                    builder = BUILDERS[key] = super()._compile_builder(append_unknown)
        return builder


class SimFlask(Flask):
    """A Flask app whose URL rules share their compiled builders (every app of the simulator is one)."""

    url_rule_class = SharedBuilderRule
