"""Disaster support (災害支援): the disasters, how the 23 wards coordinate, and what they gave.

disasters.py   the disaster, its states and the decisions taken on it (決定, 第N報)
coordination.py requests (要請), enquiries to the wards (各区照会) and their answers, counterparts (対口支援)
support.py     staff dispatches (職員派遣), supplies (物資), joint funds (復興支援金・義援金) and their shares
lists.py       the lists the secretariat extends: jobs (職種), channels (派遣ルート); the wards' populations
"""

from renkei.disasters.models.coordination import Counterpart, Enquiry, EnquiryAnswer, SupportRequest
from renkei.disasters.models.disasters import (
    DatePrecision,
    Decision,
    Disaster,
    DispatchFigure,
    StateChange,
    SupplyProvision,
    publicly_counted,
)
from renkei.disasters.models.lists import Channel, Population, Role
from renkei.disasters.models.support import (
    Dispatch,
    FundContribution,
    FundRecipient,
    Supply,
    WardShare,
)

__all__ = [
    "Channel", "Counterpart", "DatePrecision", "Decision", "Disaster", "Dispatch", "DispatchFigure", "Enquiry",
    "EnquiryAnswer", "FundContribution", "FundRecipient", "Population", "SupportRequest", "Role", "StateChange", "Supply",
    "SupplyProvision", "WardShare", "publicly_counted",
]
