# known-failure: needs package seaborn_not_here, not installed (ModuleNotFoundError)
import seaborn_not_here

seaborn_not_here.histplot([1, 2, 3])
