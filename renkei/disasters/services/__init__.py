"""Writing the disaster-support records: each action in one transaction, audited, mail on commit.

disasters.py    create, activate (対策本部の設置), change state, decisions (決定, 第N報)
coordination.py requests (要請), enquiries to the wards (各区照会) and answers, counterparts (対口支援)
support.py      dispatches (職員派遣), supplies (物資), joint funds and the wards' shares
"""


class DisasterError(Exception):
    """An action refused with a message for the person who asked; `field` names the form field the
    message belongs to, when it is about one."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.field = field
