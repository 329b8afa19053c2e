#!/usr/bin/env bash
# Lints every CloudFormation template under deploy/ with cfn-lint, offline, against CloudFormation's resource
# schemas. Fails on any error or warning. Uses cfn-lint from PATH; when there is none, installs the pinned
# version with pip (run by .ci/run).
set -euo pipefail
cd "$(dirname "$0")/../.."

CFN_LINT_VERSION=1.51.0

if ! command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint not on PATH; installing cfn-lint==$CFN_LINT_VERSION with pip"
  python3 -m pip install --quiet "cfn-lint==$CFN_LINT_VERSION"
fi
installed="$(cfn-lint --version | sed -n 's/^cfn-lint //p')"
if [ "$installed" != "$CFN_LINT_VERSION" ]; then
  echo "note: cfn-lint $installed on PATH; CI pins $CFN_LINT_VERSION"
fi

templates=()
while IFS= read -r file; do
  templates+=("$file")
done < <(grep -rlE '^AWSTemplateFormatVersion:' deploy --include='*.yaml' --include='*.yml' --include='*.json' | sort)
[ ${#templates[@]} -gt 0 ] || { echo "no CloudFormation templates under deploy/" >&2; exit 1; }

echo "cfn-lint $installed: ${templates[*]}"
cfn-lint --non-zero-exit-code warning -- "${templates[@]}"
echo "cfn-lint: no errors, no warnings"
