def write(rule_id, directory): raise NotImplementedError
