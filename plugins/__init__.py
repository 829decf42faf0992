"""The project's Pelican plugins, one sub-package per concern.

`plugins.core` is not a plugin: it holds what every plugin and the pipeline
share (the problem type and reporter, the source model, settings declarations).
Plugins import each other normally (`from plugins.core.problems import …`);
`pelicanconf.py` names them as `plugins.<name>`.
"""
