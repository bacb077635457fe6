#!/usr/bin/env bash
# Builds and lints infra/ offline with the Bicep CLI from the NuGet package Azure.Bicep.CommandLine.linux-x64.
# Fails on any error or warning. Usage: bash scripts/bicep-check.sh (from any directory).
set -euo pipefail

bicep_package="Azure.Bicep.CommandLine.linux-x64"
bicep_version="0.49.2"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
restore_dir="$repo_root/.tools/bicep"

step() { printf '==> %s\n' "$*"; }
fail() { printf 'bicep-check: %s\n' "$*" >&2; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

packages_dir="${NUGET_PACKAGES:-}"
if [[ -z "$packages_dir" ]]; then
  packages_dir="$(dotnet nuget locals global-packages --list | sed -n 's/^global-packages: *//p')"
fi
[[ -n "$packages_dir" ]] || fail "cannot locate the NuGet global packages folder"
bicep="${packages_dir%/}/$(tr '[:upper:]' '[:lower:]' <<<"$bicep_package")/$bicep_version/tools/bicep"

if [[ -x "$bicep" ]]; then
  step "Bicep CLI $bicep_version already restored: $bicep"
else
  step "Restoring $bicep_package $bicep_version from NuGet"
  mkdir -p "$restore_dir"
  # Empty Directory.* files stop MSBuild from importing the repo's central package management and build settings.
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props; do
    printf '<Project />\n' >"$restore_dir/$f"
  done
  cat >"$restore_dir/bicep-restore.csproj" <<EOF
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>netstandard2.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageDownload Include="$bicep_package" Version="[$bicep_version]" />
  </ItemGroup>
</Project>
EOF
  dotnet restore "$restore_dir/bicep-restore.csproj" --verbosity quiet
  [[ -f "$bicep" ]] || fail "restore finished but $bicep is missing"
  chmod +x "$bicep"
fi

actual_version="$("$bicep" --version)"
[[ "$actual_version" == *"$bicep_version"* ]] || fail "expected Bicep $bicep_version, got: $actual_version"

out_dir="$(mktemp -d)"
trap 'rm -rf "$out_dir"' EXIT

# Runs one Bicep command and fails on a non-zero exit or on any Error/Warning diagnostic.
run_bicep() {
  local label="$1"
  shift
  local output status=0
  output="$("$bicep" "$@" 2>&1)" || status=$?
  [[ -z "$output" ]] || printf '%s\n' "$output"
  if ((status != 0)); then
    fail "$label failed (exit $status)"
  fi
  if grep -Eq ' : (Error|Warning) ' <<<"$output"; then
    fail "$label reported errors or warnings"
  fi
}

cd "$repo_root"

# --no-restore: registry modules are not used, and nothing is fetched from the network.
step "bicep build infra/main.bicep"
run_bicep "build" build infra/main.bicep --no-restore --outdir "$out_dir"

mapfile -t bicep_files < <(find infra -name '*.bicep' | LC_ALL=C sort)
for file in "${bicep_files[@]}"; do
  step "bicep lint $file"
  run_bicep "lint $file" lint "$file" --no-restore
done

step "Bicep check passed (${#bicep_files[@]} files, zero errors, zero warnings)"
