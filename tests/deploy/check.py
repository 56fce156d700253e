#!/usr/bin/env python3
# Copyright 2026 The groupcache-cpp Authors. Licensed under the Apache License, Version 2.0.
"""Offline checks of the deploy recipes (deploy/), run by tests/deploy/check.sh.

Images cannot be built or pulled here and there is no cluster, so this checks
what can be checked without them:

  manifests   every deploy/kubernetes/*.yaml parses; the kustomization lists
              them; the objects refer to each other consistently (names,
              selectors, ports, probes on /readyz and /healthz, the security
              context, requests and limits, a grace period above the drain);
  config      the ConfigMap's groupcached.toml, with the pod's environment
              variables set and the Secret's files generated, laid out as the
              kubelet writes a Secret volume (a sticky 1777 directory, the
              files links into ..data, a link to a hidden directory), passes
              groupcached --check-config (and fails, naming the variable,
              without them); so does every toml block of docs/deployment.md;
  Dockerfile  both stages are debian:bookworm-slim; the build stage runs the
              README's commands and installs only packages of
              scripts/install-deps.sh; the runtime stage provides every shared
              library of the built groupcached; it runs as the non-root user
              the StatefulSet names; the files it copies are what
              `cmake --install --component daemon` installs; the README's
              configure command works;
  running     groupcached, started with the ConfigMap's config on loopback
              ports (its DNS lookups sent to a closed loopback port), passes
              the image's HEALTHCHECK command and /readyz; takes up a renewed
              certificate when the Secret volume's ..data link is swapped, as
              the kubelet does, without a restart; then after SIGTERM answers
              /readyz 503 while still healthy, and exits 0 on a second SIGTERM.

Usage: check.py SOURCE_DIR BUILD_DIR (BUILD_DIR holds a built daemon/groupcached).
Exit status 0 if every check passed; each failure is printed.
"""

import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
from pathlib import Path

import yaml

FAILURES = []

# The keys of the Secret groupcached-tls (cert-manager's names).
SECRET_KEYS = ("ca.crt", "tls.crt", "tls.key")


def check(condition, message):
    if not condition:
        FAILURES.append(message)
        print(f"FAIL: {message}")
    return condition


def note(message, failures_before):
    """Reports a group of checks as passed if none failed since `failures_before`."""
    if len(FAILURES) == failures_before:
        print(f"ok:   {message}")


# ---------------------------------------------------------------- manifests


def load_manifests(kube_dir):
    docs = {}
    for path in sorted(kube_dir.glob("*.yaml")):
        try:
            loaded = [d for d in yaml.safe_load_all(path.read_text()) if d is not None]
        except yaml.YAMLError as e:
            check(False, f"{path}: does not parse: {e}")
            continue
        for doc in loaded:
            check(isinstance(doc, dict) and "apiVersion" in doc and "kind" in doc,
                  f"{path}: a document without apiVersion and kind")
        docs[path.name] = loaded
    return docs


def objects(docs, kind):
    return [(name, d) for name, loaded in docs.items() for d in loaded if d.get("kind") == kind]


def one(docs, kind):
    found = objects(docs, kind)
    check(len(found) == 1, f"expected one {kind}, found {len(found)}")
    return found[0][1] if found else {}


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in (selector or {}).items())


def parse_duration(text):
    m = re.fullmatch(r"(\d+)(ms|s|m|h)", text)
    factor = {"ms": 0.001, "s": 1, "m": 60, "h": 3600}
    return int(m.group(1)) * factor[m.group(2)] if m else None


def check_manifests(kube_dir):
    failures_before = len(FAILURES)
    docs = load_manifests(kube_dir)
    kustomization = docs.get("kustomization.yaml", [{}])[0]
    listed = set(kustomization.get("resources", []))
    optional = {"certificate.yaml", "kustomization.yaml"}
    check(listed == set(docs) - optional,
          f"kustomization.yaml resources {sorted(listed)} are not the manifests {sorted(set(docs) - optional)}")
    namespace = kustomization.get("namespace")
    for name, loaded in docs.items():
        for d in loaded:
            if d.get("kind") in ("Namespace", "Kustomization"):
                continue
            check(d.get("metadata", {}).get("namespace") == namespace,
                  f"{name}: {d.get('kind')} {d.get('metadata', {}).get('name')} is not in namespace {namespace}")

    sts = one(docs, "StatefulSet")
    spec = sts.get("spec", {})
    pod = spec.get("template", {}).get("spec", {})
    labels = spec.get("template", {}).get("metadata", {}).get("labels", {})
    check(matches(spec.get("selector", {}).get("matchLabels"), labels), "the StatefulSet's selector misses its pods")
    services = {d["metadata"]["name"]: d for _, d in objects(docs, "Service")}
    headless = services.get(spec.get("serviceName"), {})
    check(headless.get("spec", {}).get("clusterIP") == "None",
          f"serviceName {spec.get('serviceName')} is not a headless Service")
    for name, service in services.items():
        check(matches(service["spec"].get("selector"), labels), f"Service {name} does not select the pods")
    pdb = one(docs, "PodDisruptionBudget")
    check(matches(pdb.get("spec", {}).get("selector", {}).get("matchLabels"), labels), "the PDB misses the pods")
    check("maxUnavailable" in pdb.get("spec", {}) or "minAvailable" in pdb.get("spec", {}), "the PDB sets no bound")
    policy = one(docs, "NetworkPolicy")
    check(matches(policy.get("spec", {}).get("podSelector", {}).get("matchLabels"), labels),
          "the NetworkPolicy misses the pods")

    containers = pod.get("containers", [])
    check(len(containers) == 1, "expected one container")
    c = containers[0] if containers else {}
    ports = {p["name"]: p["containerPort"] for p in c.get("ports", [])}
    for probe, path in (("readinessProbe", "/readyz"), ("livenessProbe", "/healthz")):
        get = c.get(probe, {}).get("httpGet", {})
        check(get.get("path") == path and get.get("port") in ports, f"{probe} is not GET {path} on a named port")
    pod_sc = pod.get("securityContext", {})
    sc = c.get("securityContext", {})
    check(pod_sc.get("runAsNonRoot") is True and pod_sc.get("runAsUser", 0) != 0, "the pod may run as root")
    check(pod_sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "no RuntimeDefault seccomp profile")
    check(sc.get("readOnlyRootFilesystem") is True, "the root file system is writable")
    check(sc.get("allowPrivilegeEscalation") is False, "privilege escalation is allowed")
    check(sc.get("capabilities", {}).get("drop") == ["ALL"], "capabilities are not all dropped")
    check(pod.get("automountServiceAccountToken") is False, "a service account token is mounted")
    resources = c.get("resources", {})
    for kind in ("requests", "limits"):
        check({"cpu", "memory"} <= set(resources.get(kind, {})), f"no cpu and memory {kind}")

    # The config: from the ConfigMap mounted where --config points.
    args = c.get("args", [])
    config_path = args[args.index("--config") + 1] if "--config" in args else None
    volumes = {v["name"]: v for v in pod.get("volumes", [])}
    mounts = c.get("volumeMounts", [])
    config_mount = next((m for m in mounts if m["mountPath"] == config_path), None)
    check(config_mount is not None, f"nothing is mounted at --config {config_path}")
    config_map_name = volumes.get((config_mount or {}).get("name"), {}).get("configMap", {}).get("name")
    config_maps = {d["metadata"]["name"]: d for _, d in objects(docs, "ConfigMap")}
    config_text = config_maps.get(config_map_name, {}).get("data", {}).get((config_mount or {}).get("subPath"))
    check(config_text is not None, f"ConfigMap {config_map_name} has no {(config_mount or {}).get('subPath')}")
    config = tomllib.loads(config_text or "")

    # The config file lives in a root-owned directory of the image (subPath).
    # The Secret is a directory mount, so that the kubelet's updates reach
    # groupcached (a subPath mount never changes): its files are links into
    # ..data, in a sticky directory that groupcached accepts.
    secret_files = {}
    for m in mounts:
        volume = volumes.get(m["name"], {})
        if "secret" in volume:
            check("subPath" not in m, f"{m['mountPath']}: a subPath mount of the Secret never sees a renewed "
                                      "certificate; mount the Secret as a directory")
            check(volume["secret"].get("defaultMode") in (0o400, 0o440), f"{m['mountPath']}: key readable by others")
            check("items" not in volume["secret"], "the Secret volume lists items: the check expects every key")
            for key in SECRET_KEYS:
                secret_files[f"{m['mountPath']}/{key}"] = key
        else:
            check("subPath" in m, f"{m['mountPath']} is a directory mount: mount the config file with subPath")
    for key in ("ca", "cert", "key"):
        check(config.get("tls", {}).get(key) in secret_files, f"tls.{key} is not a file of the Secret")

    # The environment the config refers to.
    env = {}
    for e in c.get("env", []):
        field = e.get("valueFrom", {}).get("fieldRef", {}).get("fieldPath")
        env[e["name"]] = {"metadata.name": f"{sts['metadata']['name']}-0", "metadata.namespace": namespace,
                          "status.podIP": POD_IP}.get(field, e.get("value", "x"))
    used = set(re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", config_text or ""))
    check(used <= set(env), f"the config uses {sorted(used - set(env))}, which the pod does not set")

    # Drain and grace; discovery names what the Service publishes.
    drain = parse_duration(config.get("node", {}).get("drain", "5s"))
    grace = pod.get("terminationGracePeriodSeconds", 30)
    check(drain is not None and grace >= drain + 10 + 5,
          f"terminationGracePeriodSeconds {grace} < node.drain {drain} s + 10 s shutdown bound + 5 s")
    discovery = config.get("discovery", {})
    check(discovery.get("type") == "dns", "the config does not use DNS discovery")
    domain = f"{headless.get('metadata', {}).get('name')}.${{POD_NAMESPACE}}.svc.cluster.local"
    peer_ports = {p["name"]: p["port"] for p in headless.get("spec", {}).get("ports", [])}
    self_url = config.get("node", {}).get("self", "")
    if discovery.get("record") == "SRV":
        m = re.fullmatch(r"_([a-z0-9-]+)\._tcp\.(.*)", discovery.get("name", ""))
        check(m is not None and m.group(2) == domain and m.group(1) in peer_ports,
              f"discovery.name {discovery.get('name')} is not _<port name>._tcp.{domain}")
        port = peer_ports.get(m.group(1)) if m else None
        check(self_url == f"https://${{POD_NAME}}.{domain}:{port}",
              f"node.self {self_url} is not the SRV target https://${{POD_NAME}}.{domain}:{port}")
        check(ports.get(headless["spec"]["ports"][0].get("targetPort")) == port,
              "the Service's peer port is not the container's")
    certificates = objects(docs, "Certificate")
    for _, cert in certificates:
        names = cert["spec"].get("dnsNames", [])
        wanted = "*." + domain.replace("${POD_NAMESPACE}", namespace)
        check(wanted in names, f"certificate.yaml does not name {wanted}")
        secret_names = {v["secret"]["secretName"] for v in volumes.values() if "secret" in v}
        check(cert["spec"].get("secretName") in secret_names, "certificate.yaml fills another Secret")
    note("manifests parse and agree with each other", failures_before)
    return {
        "config_text": config_text or "",
        "env": env,
        "secret_files": secret_files,
        "args": args,
        "run_as_user": pod_sc.get("runAsUser"),
        "wildcard": "*." + domain.replace("${POD_NAMESPACE}", namespace),
        "api_port": ports.get("api"),
    }


# ----------------------------------------------------------------- config


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The pod and node addresses the checks put in the environment; the test
# certificate names them, as a pod's certificate names its node.self host
# (groupcached refuses a certificate that does not).
POD_IP = "10.0.0.7"
NODE_IP = "10.0.0.1"


def write_secret_version(source, work, tls, san, name):
    """Writes a new version of the Secret volume `tls` as the kubelet's atomic
    writer does: the files (a node certificate `name` from scripts/dev-ca.sh,
    signed by the one CA under work/pki) in a new hidden directory, then the
    ..data link swapped to it by a rename, so a reader sees the old set or the
    new one, never a mix."""
    pki = work / "pki"
    subprocess.run(["bash", str(source / "scripts/dev-ca.sh"), str(pki), f"{name}={san},127.0.0.1,{POD_IP},{NODE_IP}"],
                   check=True, stdout=subprocess.DEVNULL)
    generated = {"ca.crt": pki / "ca.pem", "tls.crt": pki / f"{name}.pem", "tls.key": pki / f"{name}.key"}
    version = tls / time.strftime(f"..%Y_%m_%d_%H_%M_%S.{name}", time.gmtime())
    version.mkdir()
    version.chmod(0o755)
    for key in SECRET_KEYS:
        (version / key).write_bytes(generated[key].read_bytes())
        (version / key).chmod(0o440)  # as the Secret's defaultMode
    (tls / "..data_tmp").symlink_to(version.name)
    os.rename(tls / "..data_tmp", tls / "..data")


def make_tls(source, work, san, secret_files):
    """The Secret volume, as the kubelet lays it out: returns mountPath ->
    local path, and the volume's directory."""
    tls = work / "tls"
    tls.mkdir()
    tls.chmod(0o1777)  # a tmpfs root: world-writable, sticky
    write_secret_version(source, work, tls, san, "node")
    for key in SECRET_KEYS:
        (tls / key).symlink_to(f"..data/{key}")
    return {mount_path: str(tls / key) for mount_path, key in secret_files.items()}, tls


def localize(text, replacements):
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def check_config(groupcached, work, name, text, env, expect_ok=True):
    path = work / f"{name}.toml"
    path.write_text(text)
    path.chmod(0o444)
    run = subprocess.run([groupcached, "--check-config", "--config", str(path)], capture_output=True, text=True,
                         env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **env}, timeout=60)
    if expect_ok:
        check(run.returncode == 0 and "configuration OK" in run.stdout,
              f"{name}: groupcached --check-config failed:\n{run.stderr}{run.stdout}")
    path.unlink()
    return run


def check_configs(source, groupcached, work, k8s):
    failures_before = len(FAILURES)
    local, tls = make_tls(source, work, k8s["wildcard"], k8s["secret_files"])
    text = localize(k8s["config_text"], local)
    run = check_config(groupcached, work, "configmap", text, k8s["env"])
    check("SRV records of _peer._tcp.groupcached.cache.svc.cluster.local" in run.stdout,
          f"the summary does not show the expanded discovery name:\n{run.stdout}")
    for variable in sorted(k8s["env"]):
        if f"${{{variable}}}" not in text:
            continue
        without = {k: v for k, v in k8s["env"].items() if k != variable}
        run = check_config(groupcached, work, "configmap-without-" + variable, text, without, expect_ok=False)
        check(run.returncode == 1 and f"${{{variable}}} is not set in the environment" in run.stderr,
              f"--check-config without {variable} did not name it:\n{run.stderr}")
    note("the ConfigMap's config passes --check-config, and names each variable left unset", failures_before)

    blocks = re.findall(r"```toml\n(.*?)```", (source / "docs/deployment.md").read_text(), re.S)
    check(blocks, "docs/deployment.md has no toml block")
    for i, block in enumerate(blocks):
        env = {**k8s["env"], "POD_IP": POD_IP, "NODE_IP": NODE_IP}
        check_config(groupcached, work, f"deployment.md-block-{i}", localize(block, local), env)
    note(f"the {len(blocks)} toml blocks of docs/deployment.md pass --check-config", failures_before)
    return local, tls


# ---------------------------------------------------------------- Dockerfile


def dockerfile_stages(path):
    text = re.sub(r"\\\n", " ", path.read_text())
    stages = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        op, _, rest = line.partition(" ")
        op = op.upper()
        if op == "FROM":
            stages.append({"from": rest.split()[0], "as": rest.split()[2] if " AS " in rest.upper() else None,
                           "steps": []})
        elif stages:
            stages[-1]["steps"].append((op, " ".join(rest.split())))
    return stages


def apt_packages(run):
    m = re.search(r"apt-get install (.*?)(?:&&|$)", run)
    return [w for w in m.group(1).split() if not w.startswith("-")] if m else []


def install_deps_packages(source):
    text = (source / "scripts/install-deps.sh").read_text()
    body = re.search(r"^PACKAGES=\((.*?)^\)", text, re.S | re.M).group(1)
    return {w for line in body.splitlines() for w in line.split("#")[0].split()}


def readme_commands(source):
    text = (source / "README.md").read_text()
    m = re.search(r"<!-- deploy/Dockerfile build stage.*?-->\s*```sh\n(.*?)```", text, re.S)
    check(m is not None, "README.md has no block of the Dockerfile's build commands")
    return [" ".join(l.split()) for l in (m.group(1) if m else "").splitlines() if l.strip()]


def base_image_packages():
    """What debian:bookworm-slim holds: the Essential packages and apt, with
    everything they depend on (from this machine's dpkg database)."""
    fields = subprocess.run(["dpkg-query", "-W", "-f=${Package}\t${Essential}\t${Pre-Depends}\t${Depends}\n"],
                            capture_output=True, text=True, check=True).stdout
    depends, todo = {}, ["apt"]
    for line in fields.splitlines():
        package, essential, pre, deps = (line.split("\t") + ["", "", ""])[:4]
        names = [alt.split()[0].split(":")[0] for part in (pre + "," + deps).split(",") if part.strip()
                 for alt in part.split("|")[:1]]
        depends[package] = names
        if essential == "yes":
            todo.append(package)
    seen = set()
    while todo:
        package = todo.pop()
        if package not in seen:
            seen.add(package)
            todo.extend(depends.get(package, []))
    return seen


def package_of(library):
    for candidate in (library, library.replace("/usr/lib/", "/lib/"), library.replace("/lib/", "/usr/lib/", 1)):
        run = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if run.returncode == 0:
            return run.stdout.split(":")[0]
    return None


def check_dockerfile(source, build, groupcached, work, k8s):
    failures_before = len(FAILURES)
    stages = dockerfile_stages(source / "deploy/Dockerfile")
    check(len(stages) >= 2, "the Dockerfile is not multi-stage")
    for stage in stages:
        check(stage["from"] == "debian:bookworm-slim", f"a stage is FROM {stage['from']}, not debian:bookworm-slim")
    build_stage, runtime = stages[0], stages[-1]
    runs = [rest for op, rest in build_stage["steps"] if op == "RUN"]
    check(set(apt_packages(runs[0])) <= install_deps_packages(source),
          f"the build stage installs packages not in scripts/install-deps.sh: "
          f"{sorted(set(apt_packages(runs[0])) - install_deps_packages(source))}")
    check(runs[1:] == readme_commands(source),
          f"the build stage's commands are not the README's:\n  {runs[1:]}\n  {readme_commands(source)}")

    # Every library the binary links is in the runtime image.
    provided = set(apt_packages(next((r for op, r in runtime["steps"] if op == "RUN"), ""))) | base_image_packages()
    ldd = subprocess.run(["ldd", groupcached], capture_output=True, text=True, check=True).stdout
    for library in re.findall(r"=> (/\S+)", ldd):
        package = package_of(os.path.realpath(library))
        check(package is not None and package in provided,
              f"{library} (package {package}) is not installed in the runtime stage")

    user = next((rest for op, rest in runtime["steps"] if op == "USER"), "0")
    check(user.split(":")[0] not in ("0", "root") and user.split(":")[0] == str(k8s["run_as_user"]),
          f"USER {user} is root, or not the StatefulSet's runAsUser {k8s['run_as_user']}")
    cmd = json.loads(next((rest for op, rest in runtime["steps"] if op == "CMD"), "[]"))
    check(cmd == k8s["args"], f"the image's CMD {cmd} differs from the StatefulSet's args {k8s['args']}")
    health = next((rest for op, rest in runtime["steps"] if op == "HEALTHCHECK"), "")
    check("/healthz" in health, "no HEALTHCHECK on /healthz")

    # What the runtime stage copies is what the install step puts in /out.
    out = work / "out"
    install = subprocess.run(["cmake", "--install", str(build), "--component", "daemon", "--strip"],
                             env={**os.environ, "DESTDIR": str(out)}, capture_output=True, text=True)
    check(install.returncode == 0, f"cmake --install failed: {install.stderr}")
    for op, rest in runtime["steps"]:
        if op == "COPY" and rest.startswith("--from="):
            copied = rest.split()[1]
            check(copied.startswith("/out/") and (out / copied[5:]).exists(),
                  f"COPY {copied}: not installed by cmake --install --component daemon")

    # The README's configure command works and takes every option it names.
    configure = shlex.split(readme_commands(source)[0])
    configure[configure.index("-B") + 1] = str(work / "configure")
    run = subprocess.run(configure, cwd=source, capture_output=True, text=True, timeout=300)
    check(run.returncode == 0 and "not used by the project" not in run.stderr,
          f"the README's configure command failed or ignored an option:\n{run.stderr[-2000:]}")
    note("the Dockerfile: bookworm-slim stages, the README's commands, libraries, user, CMD and copied files", failures_before)
    return json.loads(re.search(r"CMD (\[.*\])$", health).group(1))


# ----------------------------------------------------------------- running


def http_status(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as reply:
            return reply.status
    except urllib.error.HTTPError as e:
        return e.code
    except OSError:
        return None


def poll(predicate, seconds=10):
    deadline = time.monotonic() + seconds
    while not predicate():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def tls_reloads(port):
    """groupcache_tls_reloads_total by result, from /metrics; None if unreadable."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as reply:
            text = reply.read().decode()
    except OSError:
        return None
    found = re.findall(r'^groupcache_tls_reloads_total\{result="(\w+)"\} (\d+)$', text, re.M)
    return {result: int(count) for result, count in found}


def check_running(source, groupcached, work, k8s, local, tls, healthcheck):
    failures_before = len(FAILURES)
    api, peer = free_port(), free_port()
    text = localize(k8s["config_text"], local)
    text = text.replace("0.0.0.0:8080", f"127.0.0.1:{api}").replace("0.0.0.0:8443", f"127.0.0.1:{peer}")
    # Loopback only: the DNS lookups go to a closed port here (each fails at
    # once, and the ring stays this node alone), never to the system's resolver.
    check("servers" not in text, "the ConfigMap's config names DNS servers; the check would not replace them")
    text = text.replace("[discovery]\n", f"[discovery]\nservers = [\"127.0.0.1:{free_port()}\"]\n", 1)
    # The Secret's renewal below is seen within a second, not the default 5.
    check("reload_interval" not in text, "the ConfigMap's config sets tls.reload_interval; the check would not")
    text = text.replace("[tls]\n", "[tls]\nreload_interval = \"1s\"\n", 1)
    path = work / "running.toml"
    path.write_text(text)
    path.chmod(0o444)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **k8s["env"]}
    with open(work / "running.err", "w") as err:
        process = subprocess.Popen([groupcached, "--config", str(path)], env=env, stderr=err)
    try:
        exercise_running(process, api, env, healthcheck,
                         lambda: write_secret_version(source, work, tls, k8s["wildcard"], "renewed"))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    log = (work / "running.err").read_text()
    check("draining" in log and "stopped" in log, f"no drain in the log:\n{log}")
    note("groupcached with the ConfigMap's config: HEALTHCHECK, /readyz, a renewed Secret taken up, "
         "drain on SIGTERM, exit 0", failures_before)


def exercise_running(process, api, env, healthcheck, renew_secret):
    if not check(poll(lambda: http_status(api, "/readyz") == 200), "groupcached with the ConfigMap's config: not ready"):
        return
    probe = lambda: subprocess.run(healthcheck, env={**env, "API_PORT": str(api)}, timeout=10).returncode
    check(probe() == 0, "the image's HEALTHCHECK command fails against a healthy groupcached")
    # A renewed Secret, swapped in as the kubelet does, is loaded without a
    # restart (and nothing fails to load).
    before = tls_reloads(api)
    if check(before is not None and "ok" in before, f"no groupcache_tls_reloads_total on /metrics: {before}"):
        renew_secret()
        check(poll(lambda: (tls_reloads(api) or {}).get("ok", 0) > before["ok"]),
              f"the renewed Secret was not loaded: reloads {tls_reloads(api)}, before {before}")
        check((tls_reloads(api) or {}).get("error") == before.get("error"),
              f"a reload failed: {tls_reloads(api)}, before {before}")
        check(http_status(api, "/groups/colors/red") == 200 and http_status(api, "/readyz") == 200,
              "not serving after the Secret's renewal")
    process.send_signal(signal.SIGTERM)
    check(poll(lambda: http_status(api, "/readyz") == 503), "/readyz is not 503 while draining")
    check(http_status(api, "/healthz") == 200 and probe() == 0, "not healthy while draining")
    check(http_status(api, "/groups/colors/red") == 200, "not serving while draining")
    process.send_signal(signal.SIGTERM)
    check(process.wait(timeout=15) == 0, "groupcached did not exit 0 after the second SIGTERM")


def check_systemd_unit(source):
    unit = (source / "daemon/groupcached.service").read_text()
    m = re.search(r"^TimeoutStopSec=(\d+)$", unit, re.M)
    check(m is not None and int(m.group(1)) >= 5 + 10 + 2,
          "groupcached.service: TimeoutStopSec is below the default drain (5 s) + the shutdown bound (10 s)")


def main():
    source, build = Path(sys.argv[1]).resolve(), Path(sys.argv[2]).resolve()
    groupcached = str(build / "daemon/groupcached")
    with tempfile.TemporaryDirectory(prefix="deploy-check.") as tmp:
        work = Path(tmp)
        work.chmod(0o755)  # groupcached refuses files in a directory others may write
        k8s = check_manifests(source / "deploy/kubernetes")
        local, tls = check_configs(source, groupcached, work, k8s)
        healthcheck = check_dockerfile(source, build, groupcached, work, k8s)
        check_running(source, groupcached, work, k8s, local, tls, healthcheck)
        check_systemd_unit(source)
    if FAILURES:
        print(f"deploy check: {len(FAILURES)} problem(s)")
        return 1
    print("deploy check: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
