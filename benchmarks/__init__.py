"""The benchmark command: `python -m benchmarks.run --posts N --out benchmarks/results/NAME.json` (see RESULTS.md)."""
