# bash completion for splicer. The program completes itself: it is asked with System.CommandLine's
# [suggest:POSITION] directive what may come at the cursor, so the script never falls behind the verbs.
# Install: splicer completion bash > ~/.local/share/bash-completion/completions/splicer
_splicer() {
  local program=${COMP_WORDS[0]/#\~/$HOME} word=${COMP_WORDS[COMP_CWORD]}
  local -a candidates
  mapfile -t candidates < <("$program" "[suggest:$COMP_POINT]" "$COMP_LINE" 2>/dev/null)
  mapfile -t COMPREPLY < <(compgen -W "${candidates[*]}" -- "$word")
}
complete -o default -F _splicer splicer
