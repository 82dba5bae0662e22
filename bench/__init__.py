"""Benchmarks: each module prints its figures and ratios against a floor measured in the same run.

python -m bench papers     production papers against a reportlab floor
python -m bench.voice      voice command recognition
"""
