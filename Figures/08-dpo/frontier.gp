# Gold gain over SFT against KL to SFT: DPO's β sweep beside PPO's kl_coef sweep
# Render from this directory: gnuplot frontier.gp  (writes frontier.png)
if (!exists("outfile")) outfile = 'frontier.png'
set terminal pngcairo size 800,568 noenhanced font 'Sans,11'
set output outfile
set title 'Gold gain over SFT against KL to SFT: DPO''s β sweep beside PPO''s kl_coef sweep'
set xlabel 'KL(π ‖ π_SFT) on held-out answers (nats per answer)'
set ylabel 'gold gain over SFT (paired)'
set key outside below center horizontal Left reverse samplen 2 maxcols 1 height 1
set grid
set logscale x
set format x '%g'
set xrange [0.0947294483:45.0032944]
set xtics (0.1, 0.2, 0.5, 1, 2, 5, 10, 20)
set yrange [-0.374450831:0.873541167]
set style fill transparent solid 0.2 noborder
plot 'frontier.dat' index 0 using 1:($2-$3):($2+$3) with filledcurves lc 1 notitle, \
     'frontier.dat' index 1 using 1:($2-$3):($2+$3) with filledcurves lc 2 notitle, \
     'frontier.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'DPO, β = 0.1, 0.5, 2', \
     'frontier.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'PPO, kl_coef = 0, 0.02, 0.05, 0.2', \
     0 with lines dt 2 lw 1.5 lc rgb '#333333' title 'SFT (KL 0)'
