#!/usr/bin/env bash
# Installs citecheck for a CI job: the pinned release binary for this runner, checked against
# the release's SHA256SUMS; if there is none for this platform, `cargo install --locked` of the
# same tag. Used by action.yml and ci/citecheck.gitlab-ci.yml.
#
#   CITECHECK_VERSION  release tag (default v0.1.0)
#   CITECHECK_REPO     GitHub repository (default citecheck/citecheck)
#   CITECHECK_BIN_DIR  where the binary goes (default ~/.local/bin, added to GITHUB_PATH)
set -euo pipefail

version="${CITECHECK_VERSION:-v0.1.0}"
repo="${CITECHECK_REPO:-citecheck/citecheck}"
bin_dir="${CITECHECK_BIN_DIR:-${HOME}/.local/bin}"
mkdir -p "${bin_dir}"

case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) target=x86_64-unknown-linux-musl ;;
    Linux-aarch64) target=aarch64-unknown-linux-musl ;;
    Darwin-arm64) target=aarch64-apple-darwin ;;
    Darwin-x86_64) target=x86_64-apple-darwin ;;
    *) target="" ;;
esac

installed=""
if [ -n "${target}" ] && command -v curl >/dev/null 2>&1; then
    base="https://github.com/${repo}/releases/download/${version}"
    archive="citecheck-${version}-${target}.tar.gz"
    work="$(mktemp -d)"
    if curl -fsSL --retry 3 -o "${work}/${archive}" "${base}/${archive}" \
        && curl -fsSL --retry 3 -o "${work}/SHA256SUMS" "${base}/SHA256SUMS"; then
        (cd "${work}" && grep " ${archive}\$" SHA256SUMS | sha256sum -c -) \
            && tar -xzf "${work}/${archive}" -C "${work}" \
            && install -m 0755 "${work}/citecheck" "${bin_dir}/citecheck" \
            && installed="release ${version} (${target})"
    fi
    rm -rf "${work}"
fi

if [ -z "${installed}" ]; then
    echo "citecheck: no release binary for this runner; building ${version} with cargo" >&2
    cargo install --locked --git "https://github.com/${repo}" --tag "${version}" \
        --root "${bin_dir%/bin}" citecheck
    installed="cargo install ${version}"
fi

if [ -n "${GITHUB_PATH:-}" ]; then
    echo "${bin_dir}" >> "${GITHUB_PATH}"
fi
echo "citecheck: installed ${installed} into ${bin_dir}" >&2
