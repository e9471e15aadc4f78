"""Frameworks a repository uses, and how they map onto a certification's topics.

Evidence comes from two places: dependency manifests and import statements (``.py`` files and
notebook code cells). A framework points at the program's topic codes it is evidence for; the
mapping is Credence's judgement and lives here, the topics themselves live in the program file.
The relevance score is the percent of the certification's topics with at least one piece of
evidence; it is a conversation starter for the examiner, not a grade.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from credence.portfolios.manifests import normalize
from credence.portfolios.report import Relevance, TopicCoverage, TopicEvidence


@dataclass(frozen=True)
class Framework:
    name: str
    packages: tuple[str, ...]  # normalized distribution names
    modules: tuple[str, ...]  # top-level import names
    topics: tuple[str, ...]


FRAMEWORKS: tuple[Framework, ...] = (
    Framework(
        "scikit-learn",
        ("scikit-learn", "sklearn"),
        ("sklearn",),
        ("supervised-learning", "model-evaluation"),
    ),
    Framework("XGBoost", ("xgboost",), ("xgboost",), ("supervised-learning",)),
    Framework("LightGBM", ("lightgbm",), ("lightgbm",), ("supervised-learning",)),
    Framework("CatBoost", ("catboost",), ("catboost",), ("supervised-learning",)),
    Framework("PyTorch", ("torch",), ("torch",), ("supervised-learning",)),
    Framework(
        "TensorFlow",
        ("tensorflow", "tensorflow-cpu", "tensorflow-gpu"),
        ("tensorflow",),
        ("supervised-learning",),
    ),
    Framework("Keras", ("keras",), ("keras",), ("supervised-learning",)),
    Framework("JAX", ("jax", "flax"), ("jax", "flax"), ("supervised-learning",)),
    Framework(
        "PyTorch Lightning",
        ("lightning", "pytorch-lightning"),
        ("lightning", "pytorch_lightning"),
        ("supervised-learning", "ml-pipelines"),
    ),
    Framework("Optuna", ("optuna",), ("optuna",), ("model-evaluation",)),
    Framework("torchmetrics", ("torchmetrics",), ("torchmetrics",), ("model-evaluation",)),
    Framework("FastAPI", ("fastapi",), ("fastapi",), ("model-deployment",)),
    Framework("Flask", ("flask",), ("flask",), ("model-deployment",)),
    Framework("BentoML", ("bentoml",), ("bentoml",), ("model-deployment",)),
    Framework("Gradio", ("gradio",), ("gradio",), ("model-deployment",)),
    Framework("Streamlit", ("streamlit",), ("streamlit",), ("model-deployment",)),
    Framework("ONNX", ("onnx", "onnxruntime"), ("onnx", "onnxruntime"), ("model-deployment",)),
    Framework("Ray Serve", ("ray",), ("ray",), ("model-deployment", "ml-pipelines")),
    Framework("MLflow", ("mlflow",), ("mlflow",), ("ml-pipelines", "data-model-versioning")),
    Framework("Weights & Biases", ("wandb",), ("wandb",), ("ml-pipelines",)),
    Framework("Kubeflow", ("kfp",), ("kfp",), ("ml-pipelines",)),
    Framework("Prefect", ("prefect",), ("prefect",), ("ml-pipelines",)),
    Framework("Airflow", ("apache-airflow",), ("airflow",), ("ml-pipelines",)),
    Framework("ZenML", ("zenml",), ("zenml",), ("ml-pipelines",)),
    Framework("Hydra", ("hydra-core",), ("hydra",), ("ml-pipelines",)),
    Framework("DVC", ("dvc",), ("dvc",), ("data-model-versioning",)),
    Framework("Evidently", ("evidently",), ("evidently",), ("monitoring",)),
    Framework("Prometheus client", ("prometheus-client",), ("prometheus_client",), ("monitoring",)),
    Framework("alibi-detect", ("alibi-detect",), ("alibi_detect",), ("monitoring",)),
    Framework("Fairlearn", ("fairlearn",), ("fairlearn",), ("fairness",)),
    Framework("AIF360", ("aif360",), ("aif360",), ("fairness",)),
    Framework("SHAP", ("shap",), ("shap",), ("explainability",)),
    Framework("LIME", ("lime",), ("lime",), ("explainability",)),
    Framework("Captum", ("captum",), ("captum",), ("explainability",)),
    Framework("Opacus", ("opacus",), ("opacus",), ("privacy-security",)),
    Framework(
        "Adversarial Robustness Toolbox",
        ("adversarial-robustness-toolbox",),
        ("art",),
        ("privacy-security",),
    ),
    Framework("torchvision", ("torchvision",), ("torchvision",), ("image-classification",)),
    Framework("timm", ("timm",), ("timm",), ("image-classification",)),
    Framework(
        "OpenCV",
        ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
        ("cv2",),
        ("image-classification", "object-detection"),
    ),
    Framework("Ultralytics YOLO", ("ultralytics",), ("ultralytics",), ("object-detection",)),
    Framework("Detectron2", ("detectron2",), ("detectron2",), ("object-detection",)),
    Framework("MMDetection", ("mmdet",), ("mmdet",), ("object-detection",)),
    Framework(
        "segmentation-models-pytorch",
        ("segmentation-models-pytorch",),
        ("segmentation_models_pytorch",),
        ("object-detection",),
    ),
    Framework("Diffusers", ("diffusers",), ("diffusers",), ("image-generation",)),
    Framework(
        "Hugging Face Transformers",
        ("transformers",),
        ("transformers",),
        ("language-models", "text-generation"),
    ),
    Framework("spaCy", ("spacy",), ("spacy",), ("text-classification",)),
    Framework("NLTK", ("nltk",), ("nltk",), ("text-classification",)),
    Framework(
        "sentence-transformers",
        ("sentence-transformers",),
        ("sentence_transformers",),
        ("language-models", "retrieval-augmented-generation"),
    ),
    Framework("PEFT", ("peft",), ("peft",), ("model-adaptation",)),
    Framework("TRL", ("trl",), ("trl",), ("model-adaptation",)),
    Framework(
        "LangChain",
        ("langchain", "langchain-core", "langchain-community"),
        ("langchain", "langchain_core", "langchain_community"),
        ("retrieval-augmented-generation",),
    ),
    Framework(
        "LlamaIndex", ("llama-index",), ("llama_index",), ("retrieval-augmented-generation",)
    ),
    Framework(
        "FAISS",
        ("faiss-cpu", "faiss-gpu", "faiss"),
        ("faiss",),
        ("retrieval-augmented-generation",),
    ),
    Framework("Chroma", ("chromadb",), ("chromadb",), ("retrieval-augmented-generation",)),
    Framework("OpenAI API", ("openai",), ("openai",), ("text-generation",)),
    Framework("Ragas", ("ragas",), ("ragas",), ("generative-evaluation",)),
    Framework(
        "Hugging Face evaluate",
        ("evaluate",),
        ("evaluate",),
        ("generative-evaluation", "model-evaluation"),
    ),
    Framework(
        "CLIP",
        ("open-clip-torch", "clip"),
        ("open_clip", "clip"),
        ("multimodal-representations", "vision-language"),
    ),
    Framework("torchaudio", ("torchaudio",), ("torchaudio",), ("speech-audio",)),
    Framework("librosa", ("librosa",), ("librosa",), ("speech-audio",)),
    Framework("Whisper", ("openai-whisper",), ("whisper",), ("speech-audio",)),
)
_BY_PACKAGE = {p: f for f in FRAMEWORKS for p in f.packages}
_BY_MODULE = {m: f for f in FRAMEWORKS for m in f.modules}
_IMPORT = re.compile(
    r"^\s*(?:from\s+([A-Za-z_][\w]*)[\w.]*\s+import\b|import\s+([A-Za-z_][\w., ]*))"
)


@dataclass(frozen=True)
class Evidence:
    path: str
    line: int  # line in the file; in a notebook, the code cell's number
    text: str


@dataclass
class Found:
    framework: Framework
    evidence: list[Evidence] = field(default_factory=list)


def imported_modules(line: str) -> list[str]:
    match = _IMPORT.match(line)
    if not match:
        return []
    if match.group(1):
        return [match.group(1)]
    return [part.strip().split(".")[0].split(" ")[0] for part in match.group(2).split(",")]


class Collector:
    """Gathers framework evidence file by file."""

    max_evidence = 5

    def __init__(self) -> None:
        self.found: dict[str, Found] = {}

    def _add(self, framework: Framework, evidence: Evidence) -> None:
        entry = self.found.setdefault(framework.name, Found(framework))
        if len(entry.evidence) < self.max_evidence:
            entry.evidence.append(evidence)

    def dependency(self, path: str, name: str, line: int, text: str) -> None:
        framework = _BY_PACKAGE.get(normalize(name))
        if framework:
            self._add(framework, Evidence(path, line, text.strip()[:200]))

    def source(self, path: str, text: str, *, line_offset: int | None = None) -> None:
        for number, line in enumerate(text.splitlines(), 1):
            if "import" not in line:
                continue
            for module in imported_modules(line):
                framework = _BY_MODULE.get(module)
                if framework:
                    where = line_offset if line_offset is not None else number
                    self._add(framework, Evidence(path, where, line.strip()[:200]))

    def frameworks(self) -> list[str]:
        return sorted(self.found)


def relevance(found: Mapping[str, Found], topics: Sequence[tuple[str, str]]) -> Relevance:
    """``{score, topics}`` for a certification's ``(code, name)`` topics."""
    rows: list[TopicCoverage] = []
    for code, name in topics:
        evidence: list[TopicEvidence] = [
            {"framework": f.framework.name, "path": e.path, "line": e.line, "text": e.text}
            for f in found.values()
            if code in f.framework.topics
            for e in f.evidence[:3]
        ]
        rows.append({"code": code, "name": name, "covered": bool(evidence), "evidence": evidence})
    covered = sum(1 for row in rows if row["covered"])
    score = round(100 * covered / len(rows)) if rows else 0
    return {"score": score, "topics": rows}
