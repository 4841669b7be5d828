"""Synthetic input data: the chunked post generator, the user-growth series and the embedded sample."""

from pathlib import Path

SAMPLE_POSTS = Path(__file__).resolve().parents[2] / "data" / "sample" / "posts"


def sample_post_texts(folder: Path = SAMPLE_POSTS) -> list[str]:
    """The text of every post in the embedded sample's CSV, JSON-lines and Parquet parts, in file order."""
    import pandas as pd

    texts: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix == ".csv":
            frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        elif path.suffix == ".jsonl":
            frame = pd.read_json(path, lines=True, dtype=False)
        elif path.suffix == ".parquet":
            frame = pd.read_parquet(path)
        else:
            continue
        texts += [t for t in frame["text"].tolist() if isinstance(t, str)]
    return texts
