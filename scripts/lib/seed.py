#!/usr/bin/env python3
"""Builds images offline from tar files and pushes them to a registry through the plain API.

  seed.py image REGISTRY REPO:TAG [--compression gzip|zstd|none] [--platform os/arch[/variant]]
                [--docker] TAR...
      compresses each TAR (gzip -n / zstd via the system tools), writes a config whose diff_ids are
      the TARs' digests, pushes config, layers and manifest; prints the manifest digest.
  seed.py index REGISTRY REPO:TAG DIGEST@os/arch[/variant]...
      pushes an OCI index over manifests already in REPO; prints the index digest.

Used by scripts/demo and the benchmarks; tests build their own fixtures in Java.
"""
import hashlib
import shutil
import json
import os
import subprocess
import sys
import tempfile
import urllib.request

GZIP = "application/vnd.oci.image.layer.v1.tar+gzip"
ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd"
TAR = "application/vnd.oci.image.layer.v1.tar"
DOCKER_GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return "sha256:" + h.hexdigest()


def request(method, url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req) as resp:
        return resp.status, resp.headers


def push_blob(registry, repo, path_or_bytes):
    if isinstance(path_or_bytes, bytes):
        digest = "sha256:" + hashlib.sha256(path_or_bytes).hexdigest()
        size = len(path_or_bytes)
    else:
        digest = sha256_file(path_or_bytes)
        size = os.path.getsize(path_or_bytes)
    base = "http://" + registry
    try:
        request("HEAD", f"{base}/v2/{repo}/blobs/{digest}")
        return digest, size
    except urllib.error.HTTPError:
        pass
    _, headers = request("POST", f"{base}/v2/{repo}/blobs/uploads/", data=b"")
    location = headers["Location"]
    if location.startswith("/"):
        location = base + location
    sep = "&" if "?" in location else "?"
    url = f"{location}{sep}digest={digest}"
    if isinstance(path_or_bytes, bytes):
        request("PUT", url, data=path_or_bytes, headers={"Content-Type": "application/octet-stream"})
    else:
        # curl streams the file: a blob is never held in memory.
        subprocess.run(["curl", "-sf", "-X", "PUT", "-H", "Content-Type: application/octet-stream",
                        "--data-binary", "@" + path_or_bytes, url], check=True, stdout=subprocess.DEVNULL)
    return digest, size


def push_manifest(registry, repo, tag, body, media_type):
    request("PUT", f"http://{registry}/v2/{repo}/manifests/{tag}", data=body,
            headers={"Content-Type": media_type})
    return "sha256:" + hashlib.sha256(body).hexdigest()


def compress(tar, compression, workdir):
    if compression == "none":
        return tar
    out = os.path.join(workdir, os.path.basename(tar) + (".gz" if compression == "gzip" else ".zst"))
    tool = (["pigz", "-n", "-c", "-6"] if shutil.which("pigz") else ["gzip", "-n", "-c", "-6"]) if compression == "gzip" else ["zstd", "-q", "-c", "-3", "-T0"]
    with open(out, "wb") as f:
        subprocess.run(tool + [tar], check=True, stdout=f)
    return out


def image(args):
    registry, repo_tag = args[0], args[1]
    repo, tag = repo_tag.rsplit(":", 1)
    compression, platform, docker, tars = "gzip", "linux/amd64", False, []
    i = 2
    while i < len(args):
        if args[i] == "--compression":
            compression = args[i + 1]; i += 2
        elif args[i] == "--platform":
            platform = args[i + 1]; i += 2
        elif args[i] == "--docker":
            docker = True; i += 1
        else:
            tars.append(args[i]); i += 1
    parts = platform.split("/")
    layer_type = {"gzip": DOCKER_GZIP if docker else GZIP, "zstd": ZSTD, "none": TAR}[compression]
    layers, diff_ids = [], []
    with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as work:
        for tar in tars:
            diff_ids.append(sha256_file(tar))
            blob = compress(tar, compression, work)
            digest, size = push_blob(registry, repo, blob)
            layers.append({"mediaType": layer_type, "digest": digest, "size": size})
    config = {"architecture": parts[1], "os": parts[0], "created": "2024-06-01T00:00:00Z",
              "config": {"Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                         "Labels": {"org.opencontainers.image.title": repo}},
              "rootfs": {"type": "layers", "diff_ids": diff_ids},
              "history": [{"created": "2024-06-01T00:00:00Z", "created_by": f"ADD {os.path.basename(t)} /"}
                          for t in tars]}
    if len(parts) > 2:
        config["variant"] = parts[2]
    config_bytes = json.dumps(config).encode()
    config_type = "application/vnd.docker.container.image.v1+json" if docker else "application/vnd.oci.image.config.v1+json"
    digest, size = push_blob(registry, repo, config_bytes)
    manifest_type = DOCKER_MANIFEST if docker else OCI_MANIFEST
    manifest = {"schemaVersion": 2, "mediaType": manifest_type,
                "config": {"mediaType": config_type, "digest": digest, "size": size}, "layers": layers}
    body = json.dumps(manifest, indent=3).encode()
    print(push_manifest(registry, repo, tag, body, manifest_type))


def index(args):
    registry, repo_tag = args[0], args[1]
    repo, tag = repo_tag.rsplit(":", 1)
    entries = []
    for spec in args[2:]:
        digest, platform = spec.split("@")
        parts = platform.split("/")
        with urllib.request.urlopen(urllib.request.Request(
                f"http://{registry}/v2/{repo}/manifests/{digest}", headers={"Accept": OCI_MANIFEST})) as resp:
            size = len(resp.read())
        p = {"architecture": parts[1], "os": parts[0]}
        if len(parts) > 2:
            p["variant"] = parts[2]
        entries.append({"mediaType": OCI_MANIFEST, "digest": digest, "size": size, "platform": p})
    body = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": entries}, indent=3).encode()
    print(push_manifest(registry, repo, tag, body, OCI_INDEX))


if __name__ == "__main__":
    {"image": image, "index": index}[sys.argv[1]](sys.argv[2:])
