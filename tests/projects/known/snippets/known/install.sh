pip install seaborn
