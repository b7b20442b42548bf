"""setuptools needs code for one thing pyproject.toml cannot say: the packages found in the tree plus the two data
packages mapped from the top-level templates/ and fonts/ folders (see [tool.setuptools.package-dir])."""

from setuptools import find_packages, setup

setup(packages=find_packages(include=["docgen*", "workers*", "web*"])
      + ["docgen._shipped.templates", "docgen._shipped.fonts"])
