"""The jq helper process (see `app.domain.jqsandbox`): one JSON request per line in, one answer per line out."""

from __future__ import annotations

import contextlib
import json
import resource
import sys
from typing import Any

MEMORY_LIMIT_BYTES = 512 * 1024 * 1024


def main() -> None:
    import jq

    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    cache: dict[str, Any] = {}
    for line in sys.stdin:
        try:
            request = json.loads(line)
            program = request["program"]
            compiled = cache.get(program)
            if compiled is None:
                if len(cache) > 256:
                    cache.clear()
                compiled = cache[program] = jq.compile(program)
            answer: dict[str, Any] = {"ok": compiled.input_value(request["value"]).all()}
        except MemoryError:
            answer = {"error": "the jq program used more memory than allowed"}
        except Exception as exc:
            text = str(exc).strip()
            answer = {"error": text.splitlines()[0] if text else type(exc).__name__}
        sys.stdout.write(json.dumps(answer, ensure_ascii=False) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
