"""Token: one record with the ten fields of DESIGN §2.

Each field is None (null) or a str; "" is not None. Values go to the
store as UTF-8 and come back decoded with "surrogateescape", so any bytes
survive the round trip unchanged; a field may also be set to bytes.
"""

FIELDS = (
    "id", "user_name", "client_id", "client_secret", "refresh_token",
    "access_token", "grant_token", "expiry_time", "redirect_url",
    "api_domain",
)

# Shown redacted by repr(): never print a secret by accident.
SECRET_FIELDS = frozenset(
    ("user_name", "client_secret", "refresh_token", "access_token",
     "grant_token"))


def encode(value):
    """A field value as bytes (None stays None)."""
    if value is None or isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode("utf-8", "surrogateescape")
    raise TypeError("field values are str, bytes or None, not %s"
                    % type(value).__name__)


def decode(raw):
    """Bytes from the store as str."""
    return None if raw is None else raw.decode("utf-8", "surrogateescape")


def redact(value):
    """A secret value as shown by repr(): its length only."""
    return "<%d bytes>" % len(encode(value))


class Token:
    """A token record. `generation` (1 on insert, +1 per save) and
    `updated_at` (epoch ms) are set by the store; 0 before the first save.
    Not thread-safe: share one Token between threads only with a lock."""

    __slots__ = FIELDS + ("generation", "updated_at")

    def __init__(self, **fields):
        for name in FIELDS:
            setattr(self, name, fields.pop(name, None))
        self.generation = 0
        self.updated_at = 0
        if fields:
            raise TypeError("unknown token fields: %s"
                            % ", ".join(sorted(fields)))

    def to_dict(self):
        """The ten fields as a dict (contains secrets: handle with care)."""
        return {name: getattr(self, name) for name in FIELDS}

    def __eq__(self, other):
        if not isinstance(other, Token):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None

    def __repr__(self):
        shown = []
        for name in FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            if name in SECRET_FIELDS:
                shown.append("%s=%s" % (name, redact(value)))
            else:
                shown.append("%s=%r" % (name, value))
        return "Token(%s, generation=%d)" % (", ".join(shown),
                                             self.generation)
