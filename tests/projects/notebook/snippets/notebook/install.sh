pip install notebook-sample
