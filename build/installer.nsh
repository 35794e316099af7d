; NSIS additions for the per-machine install (electron-builder `nsis.include`): the folder of the
; machine-wide configuration, C:\ProgramData\BranchDesk, made so that only administrators and
; SYSTEM can change it and users can only read it (by default any user could create it there).
!macro customInstall
  SetShellVarContext all
  CreateDirectory "$APPDATA\BranchDesk"
  nsExec::Exec 'icacls "$APPDATA\BranchDesk" /inheritance:r /grant:r *S-1-5-32-544:(OI)(CI)F *S-1-5-18:(OI)(CI)F *S-1-5-32-545:(OI)(CI)RX'
!macroend
