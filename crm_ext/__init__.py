from . import models
from . import demo
from . import report
from . import wizards
from . import controllers
