; Inno Setup script: a per-user Windows installer for the bundle that
; `python packaging\build.py` makes in dist\ooh-desk\ (ooh-desk.exe and _internal\).
; No administrator rights: it installs under the user's own Programs folder, adds a Start menu
; entry and opens .oohdesk registers with OOH Desk, all under HKEY_CURRENT_USER.
;
; Build on Windows, after build.py, with Inno Setup 6 (https://jrsoftware.org/isinfo.php):
;     iscc /DAppVersion=0.1.0 packaging\ooh-desk.iss
; which writes dist\ooh-desk-0.1.0-windows-x86_64-setup.exe. Not built or tested on the Linux
; machines this project's CI runs on: see packaging/README.md.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6B0E7C2A-3D5F-4B8E-9A41-0D7C5E2F1A63}
AppName=OOH Desk
AppVersion={#AppVersion}
AppVerName=OOH Desk {#AppVersion}
AppPublisher=OOH Desk
; Per user, no elevation: {autopf} is %LOCALAPPDATA%\Programs when installing for the user.
PrivilegesRequired=lowest
DefaultDirName={autopf}\OOH Desk
DisableProgramGroupPage=yes
UsedUserAreasWarning=no
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..
OutputDir=dist
OutputBaseFilename=ooh-desk-{#AppVersion}-windows-x86_64-setup
SetupIconFile=resources\icons\ooh-desk.ico
UninstallDisplayIcon={app}\ooh-desk.exe
UninstallDisplayName=OOH Desk
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\ooh-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\OOH Desk"; Filename: "{app}\ooh-desk.exe"; Parameters: "gui"; Comment: "Programme register and board papers"
Name: "{autodesktop}\OOH Desk"; Filename: "{app}\ooh-desk.exe"; Parameters: "gui"; Tasks: desktopicon

[Registry]
; The .oohdesk file type, for this user only (HKA is HKEY_CURRENT_USER in a per-user install).
Root: HKA; Subkey: "Software\Classes\.oohdesk\OpenWithProgids"; ValueType: string; ValueName: "OOHDesk.Register"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\OOHDesk.Register"; ValueType: string; ValueName: ""; ValueData: "OOH Desk register"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\OOHDesk.Register\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\ooh-desk.exe,0"
Root: HKA; Subkey: "Software\Classes\OOHDesk.Register\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\ooh-desk.exe"" gui ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\ooh-desk.exe\SupportedTypes"; ValueType: string; ValueName: ".oohdesk"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\ooh-desk.exe"; Parameters: "gui"; Description: "{cm:LaunchProgram,OOH Desk}"; Flags: nowait postinstall skipifsilent
